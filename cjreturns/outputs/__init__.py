"""Writers of files for people: the statistics workbook, CSVs, Markdown and the Word draft."""

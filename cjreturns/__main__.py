from cjreturns.cli import main

main()

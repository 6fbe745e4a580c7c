"""The collection portal: web pages for coordinators and analysts, and the JSON API, over the
register. Views only turn requests into register service calls and render the result."""

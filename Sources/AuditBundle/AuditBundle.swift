// Model update bundles (issue 5).

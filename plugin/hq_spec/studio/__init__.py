"""The scenario studio: write, check, run and save scenarios in a browser (`hq-spec studio`)."""

"""OpenRosa: ODK Collect and Enketo list, download and answer our surveys offline, as with ODK Central."""

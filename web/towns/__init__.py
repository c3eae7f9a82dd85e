"""Towns and zones, their enrolments in programmes, enterprises and indicator time series."""

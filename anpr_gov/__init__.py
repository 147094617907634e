"""anpr-gov: lawful governance of ANPR data for a force collaboration."""

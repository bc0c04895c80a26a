print("ZoneBench: not yet written")

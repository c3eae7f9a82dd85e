"""Town boundaries (planned and construction layers, versioned), province red-line layers, and what they show.

The geometry work is the pure core's (``xiaozhen.spatial``); this app stores versions, checks who may
upload, writes the computed indicators and draws the maps.
"""

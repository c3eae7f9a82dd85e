"""The cockpit (驾驶舱, 002 §二(四)1 "一图"): a region's map, targets, rankings and trends, scoped by role."""

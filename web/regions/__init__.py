"""Administrative regions as the GB/T 2260 tree: province → city → county."""

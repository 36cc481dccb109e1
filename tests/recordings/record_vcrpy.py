#!/usr/bin/python3
"""Records every path of paths.txt with vcrpy (requests) into OUT/vcrpy.yaml. Args: PORT OUT"""
import os, sys
import requests
import vcr

port, out = sys.argv[1], sys.argv[2]
paths = open(os.path.join(os.path.dirname(__file__), "paths.txt")).read().split()
with vcr.use_cassette(os.path.join(out, "vcrpy.yaml"), record_mode="all"):
    for p in paths:
        requests.get(f"http://127.0.0.1:{port}{p}", allow_redirects=False)

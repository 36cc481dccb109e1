#!/usr/bin/python3
"""Records every path of paths.txt with Betamax (requests) into OUT/betamax.json. Args: PORT OUT"""
import os, sys
import requests
import betamax

port, out = sys.argv[1], sys.argv[2]
paths = open(os.path.join(os.path.dirname(__file__), "paths.txt")).read().split()
session = requests.Session()
with betamax.Betamax(session, cassette_library_dir=out).use_cassette(
        "betamax", record="all", serialize_with="json"):
    for p in paths:
        session.get(f"http://127.0.0.1:{port}{p}", allow_redirects=False)

#!/usr/bin/env python3
"""Writes the Postman collection (v2.1) newman runs: one request per path of paths.txt, URL
{{base}}PATH. With a newman JSON report as second argument, writes instead the collection as
Postman saves it after "Save Response" on each request: every item gets the response newman
received as a saved example (name, originalRequest, status, code, header, body).
Usage: make_collection.py OUT [NEWMAN_REPORT]"""
import json, os, sys

paths = open(os.path.join(os.path.dirname(__file__), "paths.txt")).read().split()
items = []
for p in paths:
    items.append({"name": p.strip("/"),
                  "request": {"method": "GET", "header": [],
                              "url": {"raw": "{{base}}" + p, "host": ["{{base}}"],
                                      "path": [p.strip("/")]}},
                  "response": []})
coll = {"info": {"_postman_id": "8d1a6c1e-7a4a-4a52-9c55-2f0d3b7f4f10",
                 "name": "resplint faults",
                 "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": items}
if len(sys.argv) > 2:
    report = json.load(open(sys.argv[2]))
    for ex in report["run"]["executions"]:
        name = ex["item"]["name"]
        item = next(i for i in items if i["name"] == name)
        resp = ex["response"]
        body = bytes(resp.get("stream", {}).get("data", [])).decode("utf-8", "replace")
        item["response"].append({
            "name": name + " example",
            "originalRequest": item["request"],
            "status": resp.get("status"),
            "code": resp.get("code"),
            "_postman_previewlanguage": "text",
            "header": [{"key": h["key"], "value": h["value"]} for h in resp.get("header", [])],
            "cookie": [],
            "body": body,
        })
json.dump(coll, open(sys.argv[1], "w"), indent="\t")

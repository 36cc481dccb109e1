#!/usr/bin/env python3
"""The local server of the Chromium oracle test: /cookie/NAME answers with the Set-Cookie lines of
case NAME, /cors/NAME with the CORS fields of case NAME, /page with an empty page. Listens on
127.0.0.1 on a free port, which it prints first."""
import http.server
import json
import sys
import urllib.parse

CASES = json.load(open(sys.argv[1]))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def answer(self, fields, body=b'ok', ctype='text/plain'):
        self.send_response(200)
        for name, value in fields:
            self.send_header(name, value)
        self.send_header('Content-Type', ctype)
        self.send_header('Cache-Control', 'no-store')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        port = self.server.server_address[1]
        kind, _, name = path.strip('/').partition('/')
        cookies = dict(CASES['cookies'], **CASES['loopback_cookies'])
        if kind == 'cookie' and name in cookies:
            self.answer([('Set-Cookie', v) for v in cookies[name]])
        elif kind == 'cors' and name in CASES['cors']:
            fields = []
            for line in CASES['cors'][name]:
                line = line.replace('{origin}', 'http://127.0.0.1:%d' % port)
                line = line.replace('{port}', str(port))
                n, _, v = line.partition(': ')
                fields.append((n, v))
            self.answer(fields)
        elif kind == 'page':
            self.answer([], b'<!doctype html><title>oracle</title>', 'text/html')
        else:
            self.send_response(404)
            self.send_header('Content-Length', '0')
            self.end_headers()


server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()

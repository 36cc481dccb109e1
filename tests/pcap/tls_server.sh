#!/usr/bin/env bash
# A TLS test bed on 127.0.0.1, sourced by the TLS capture script and test: Debian's nginx with a
# self-signed certificate (TLS 1.2 and 1.3, every cipher), tcpdump on lo, curl with
# SSLKEYLOGFILE. tls_start DIR PORT; tls_capture_start; curl ...; tls_capture_stop; tls_stop.
tls_start() {
    tls_dir=$1 tls_port=$2
    mkdir -p "$tls_dir/www" "$tls_dir/logs"
    chmod 755 "$tls_dir" "$tls_dir/www"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tls_dir/key.pem" -out "$tls_dir/cert.pem" \
        -days 3650 -subj "/CN=localhost" >/dev/null 2>&1 || return 1
    printf 'hello over tls\n' >"$tls_dir/www/index.html"
    cat >"$tls_dir/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $tls_dir/nginx.pid;
error_log $tls_dir/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  server_tokens off;
  types { text/html html; }
  client_body_temp_path $tls_dir/logs; proxy_temp_path $tls_dir/logs; fastcgi_temp_path $tls_dir/logs;
  uwsgi_temp_path $tls_dir/logs; scgi_temp_path $tls_dir/logs;
  server {
    listen 127.0.0.1:$tls_port ssl;
    ssl_certificate $tls_dir/cert.pem;
    ssl_certificate_key $tls_dir/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ALL;
    ssl_session_tickets off;
    root $tls_dir/www;
    location /moved { return 301; }
    location /denied { return 405; }
  }
}
CONF
    nginx -c "$tls_dir/nginx.conf" -p "$tls_dir" || return 1
}
tls_capture_start() { # FILE: returns once tcpdump listens (a loaded machine takes seconds)
    : >"$tls_dir/tcpdump.err"
    tcpdump -i lo -U -s 0 -w "$1" "tcp port $tls_port" 2>"$tls_dir/tcpdump.err" &
    tls_tcpdump=$!
    for _ in $(seq 300); do
        grep -q "listening on" "$tls_dir/tcpdump.err" && return 0
        sleep 0.1
    done
    echo "tcpdump did not start: $(cat "$tls_dir/tcpdump.err")" >&2
    return 1
}
tls_capture_stop() { # waits until tcpdump has written what it saw
    sleep 1
    kill -INT "$tls_tcpdump" 2>/dev/null
    wait "$tls_tcpdump" 2>/dev/null || true
}
tls_stop() {
    kill "$(cat "$tls_dir/nginx.pid" 2>/dev/null)" 2>/dev/null || true
    kill "${tls_tcpdump:-}" 2>/dev/null || true
}
# tls_curl KEYLOG CURL-ARGS... PATH...: one connection, each path a request
tls_curl() {
    local keys=$1
    shift
    local args=() urls=()
    for a in "$@"; do
        case $a in /*) urls+=("https://127.0.0.1:$tls_port$a" -o /dev/null) ;; *) args+=("$a") ;; esac
    done
    SSLKEYLOGFILE=$keys timeout 20 curl -sk --http1.1 "${args[@]}" "${urls[@]}"
}

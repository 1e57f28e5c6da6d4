#!/usr/bin/env python3
"""What used to starve gunicorn's sync workers (issue 12, item 8), aimed at a running stack: connections that
send their headers a byte every few seconds, and a flood of wrong admin logins. deploy/smoke.sh runs it through
the compose stack's proxy while `hey` reads the API, and compares what the reader got with and without it.

    python3 deploy/attack.py http://127.0.0.1:18000 [--slow 20] [--logins 20] [--threads 10] [--hold 15] [--rotate]

It prints what each part got: how many slow connections were still held open at the end, and each login's
answer, told apart: the login form again (a wrong password let through to be checked), the service's lockout
page (429, django-axes), the proxy's own 429 (nginx's limit), anything else. Exit status 1 when a login sent
after a lockout page came back was answered 200 all the same. Standard library only: it runs on the host.
"""

import argparse
import http.client
import re
import socket
import threading
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

LOCKOUT_TEXT = b"Too many failed logins"


def connect(url, timeout):
    return http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)


def hold_slow_connection(url, host, until, drip, held):
    """Open a connection and send a request's headers one byte at a time, never ending them, until `until`."""
    try:
        sock = socket.create_connection((url.hostname, url.port or 80), timeout=5)
        sock.sendall(f"GET /api/articles/ HTTP/1.1\r\nHost: {host}\r\n".encode())
        while time.monotonic() < until:
            time.sleep(drip)
            sock.sendall(b"X")  # a header name that never ends
        sock.close()
    except OSError:
        return  # closed by the server (408, reset): not held to the end
    held.append(1)


def login_form(url, host):
    """The CSRF cookie and the form's token, as a browser gets them before it posts."""
    connection = connect(url, timeout=10)
    connection.request("GET", "/admin/login/", headers={"Host": host})
    response = connection.getresponse()
    page = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or not cookie or not token:
        raise SystemExit(f"attack: GET /admin/login/ answered {response.status} without a CSRF token")
    return cookie.group(1), token.group(1)


def wrong_login(url, host, username, cookie, token):
    body = urlencode({"username": username, "password": "not-the-password", "csrfmiddlewaretoken": token})
    headers = {
        "Host": host,
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
        "Referer": f"{url.scheme}://{host}/admin/login/",
    }
    try:
        connection = connect(url, timeout=60)
        connection.request("POST", "/admin/login/?next=/admin/", body, headers)
        response = connection.getresponse()
        page = response.read()
    except OSError as error:
        return f"error ({type(error).__name__})"
    if response.status == 429:
        return "lockout page (429)" if LOCKOUT_TEXT in page else "proxy limit (429)"
    if response.status == 200:
        return "login form (200)"
    return f"other ({response.status})"


class Logins:
    """Wrong logins from several threads; remembers when the first lockout page came back."""

    def __init__(self, url, host, username, total, rotate):
        self.url, self.host, self.username, self.left, self.rotate = url, host, username, total, rotate
        self.cookie, self.token = login_form(url, host)
        self.answers = Counter()
        self.locked_at = None
        self.let_through_after_lockout = 0
        self.lock = threading.Lock()

    def send(self, until, interval):
        """Send logins one after the other, one every `interval` seconds at most, until none are left or `until`."""
        next_at = time.monotonic()
        while time.monotonic() < until:
            with self.lock:
                if self.left == 0:
                    return
                self.left -= 1
                username = f"{self.username}-{self.left}" if self.rotate else self.username
            time.sleep(max(0, next_at - time.monotonic()))
            started = next_at = time.monotonic()
            next_at += interval
            answer = wrong_login(self.url, self.host, username, self.cookie, self.token)
            with self.lock:
                self.answers[answer] += 1
                if answer == "lockout page (429)" and self.locked_at is None:
                    self.locked_at = time.monotonic()
                if answer == "login form (200)" and self.locked_at is not None and started > self.locked_at:
                    self.let_through_after_lockout += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:18000 (the proxy)")
    parser.add_argument("--slow", type=int, default=20, help="slow-header connections (default 20)")
    parser.add_argument("--logins", type=int, default=20, help="wrong admin logins (default 20)")
    parser.add_argument("--threads", type=int, default=10, help="logins sent at once, spread over --hold (default 10)")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--rotate", action="store_true", help="a new user name for each login (admin-199, …)")
    parser.add_argument("--host", help="the Host header to send (default: the URL's)")
    parser.add_argument("--hold", type=float, default=15, help="seconds the attack lasts (default 15)")
    parser.add_argument("--drip", type=float, default=3, help="seconds between a slow header's bytes (default 3)")
    args = parser.parse_args()
    url = urlsplit(args.base_url)
    host = args.host or url.netloc
    until = time.monotonic() + args.hold

    held = []
    slow = [
        threading.Thread(target=hold_slow_connection, args=(url, host, until, args.drip, held))
        for _ in range(args.slow)
    ]
    logins = Logins(url, host, args.username, args.logins, args.rotate)
    interval = args.hold * args.threads / max(args.logins, 1)  # spread over the whole attack
    senders = [threading.Thread(target=logins.send, args=(until, interval)) for _ in range(args.threads)]
    for thread in slow + senders:
        thread.start()
    for thread in slow + senders:
        thread.join()

    print(f"slow-header connections: {args.slow} opened, {len(held)} held open to the end ({args.hold:g} s)")
    answers = ", ".join(f"{count} {answer}" for answer, count in sorted(logins.answers.items()))
    users = f"{args.username}-N, a new user each" if args.rotate else args.username
    print(f"wrong admin logins for {users!r}: {sum(logins.answers.values())} sent: {answers}")
    if logins.let_through_after_lockout:
        print(f"attack: {logins.let_through_after_lockout} login(s) sent after a lockout page were answered 200")
        raise SystemExit(1)


if __name__ == "__main__":
    main()

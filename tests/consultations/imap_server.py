"""A small IMAP4rev1 server on loopback, for testing the IMAP import against a real socket.

It speaks the part of RFC 3501 a read-only importer uses: CAPABILITY, LOGIN, SELECT and
EXAMINE, UID SEARCH ALL, UID FETCH with BODY.PEEK[] (and INTERNALDATE), NOOP and LOGOUT,
with literals for the message bodies. Anything else gets a BAD answer, as a real server
would give.
"""

from __future__ import annotations

import re
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_ATOM_OR_QUOTED = re.compile(rb'"((?:[^"\\]|\\.)*)"|(\S+)')


def _arguments(text: bytes) -> list[bytes]:
    return [
        atom or re.sub(rb"\\(.)", rb"\1", quoted) for quoted, atom in _ATOM_OR_QUOTED.findall(text)
    ]


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def send(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self) -> None:
        self.send(b"* OK [CAPABILITY IMAP4rev1] moot test IMAP server ready")
        selected = False
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return
            tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
            command, _, arguments = rest.partition(b" ")
            command = command.upper()
            if command == b"CAPABILITY":
                self.send(b"* CAPABILITY IMAP4rev1")
                self.send(tag + b" OK CAPABILITY completed")
            elif command == b"NOOP":
                self.send(tag + b" OK NOOP completed")
            elif command == b"LOGIN":
                user, password = ([*_arguments(arguments), b"", b""])[:2]
                if (user.decode(), password.decode()) == self.server.credentials:
                    self.send(tag + b" OK LOGIN completed")
                else:
                    self.send(tag + b" NO [AUTHENTICATIONFAILED] Invalid credentials")
            elif command in {b"SELECT", b"EXAMINE"}:
                (folder,) = _arguments(arguments)[:1] or [b""]
                if folder.decode().upper() != self.server.folder.upper():
                    self.send(tag + b" NO [NONEXISTENT] No such mailbox")
                    continue
                selected = True
                self.send(b"* %d EXISTS" % len(self.server.messages))
                self.send(b"* 0 RECENT")
                self.send(b"* OK [UIDVALIDITY 1] UIDs valid")
                self.send(b"* FLAGS (\\Seen \\Deleted)")
                self.send(tag + b" OK [READ-ONLY] " + command + b" completed")
            elif command == b"UID" and selected:
                self.uid(tag, arguments)
            elif command == b"LOGOUT":
                self.send(b"* BYE logging out")
                self.send(tag + b" OK LOGOUT completed")
                return
            else:
                self.send(tag + b" BAD command not understood")

    def uid(self, tag: bytes, arguments: bytes) -> None:
        subcommand, _, rest = arguments.partition(b" ")
        if subcommand.upper() == b"SEARCH":
            uids = b" ".join(str(n).encode() for n in range(1, len(self.server.messages) + 1))
            self.send(b"* SEARCH " + uids)
            self.send(tag + b" OK SEARCH completed")
            return
        if subcommand.upper() == b"FETCH":
            uid_text, _, items = rest.partition(b" ")
            if b"BODY.PEEK[]" not in items.upper():
                self.send(tag + b" BAD only BODY.PEEK[] is supported")
                return
            uid = int(uid_text)
            if 1 <= uid <= len(self.server.messages):
                body = self.server.messages[uid - 1]
                date = b""
                if b"INTERNALDATE" in items.upper():
                    received = self.server.internal_dates.get(uid, "01-Jan-2020 00:00:00 +0000")
                    date = b'INTERNALDATE "%s" ' % received.encode()
                self.wfile.write(
                    b"* %d FETCH (UID %d %sBODY[] {%d}\r\n" % (uid, uid, date, len(body))
                )
                self.wfile.write(body)
                self.send(b")")
            self.send(tag + b" OK FETCH completed")
            return
        self.send(tag + b" BAD unknown UID command")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    credentials: tuple[str, str]
    folder: str
    messages: list[bytes]
    internal_dates: dict[int, str]
    tls: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, object]:
        connection, address = super().get_request()
        if self.tls is not None:
            connection = self.tls.wrap_socket(connection, server_side=True)
        return connection, address

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that refuses the certificate is expected in the tests


@contextmanager
def imap_server(
    messages: list[bytes],
    *,
    user: str = "consult",
    password: str = "s3cret pass",  # noqa: S107 - a test server on loopback
    folder: str = "INBOX",
    certificate: tuple[str, str] | None = None,
    internal_dates: dict[int, str] | None = None,
) -> Iterator[str]:
    """Serve ``messages`` on a free loopback port; yields the server's host:port. With a
    (certificate file, key file) pair it speaks IMAP over TLS, as imaps:// expects."""
    server = _Server(("127.0.0.1", 0), _Handler)
    if certificate is not None:
        server.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.tls.load_cert_chain(*certificate)
    server.credentials = (user, password)
    server.folder = folder
    server.messages = messages
    # When the server received each message (by UID), as IMAP's INTERNALDATE reports it.
    server.internal_dates = internal_dates or {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()

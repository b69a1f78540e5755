"""A real SMTP server on loopback for the tests (aiosmtpd), and the mails it received."""
from __future__ import annotations

import socket
from dataclasses import dataclass
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


@dataclass
class Mail:
    to: list[str]
    subject: str
    body: str
    sender: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """Every mail the server accepted, parsed (subject and text decoded)."""

    def __init__(self):
        self.mails: list[Mail] = []
        self.port = _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        self.mails.append(Mail(list(envelope.rcpt_tos), str(message["subject"]),
                               body.get_content() if body is not None else "", envelope.mail_from))
        return "250 Message accepted for delivery"

    @property
    def config(self) -> dict:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_BACKEND": "smtp"}

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.to]

    def clear(self) -> None:
        self.mails.clear()

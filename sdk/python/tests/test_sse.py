"""The Server-Sent Events parser, fed the way a network delivers: in arbitrary pieces."""

from __future__ import annotations

import unittest
from typing import List

from agentry.sse import SseMessage, SseParser

STREAM = "retry: 2000\r\n\r\n: keep-alive\n\nid: 7\nevent: directives\ndata: {\"halt\":false,\ndata:  \"revision\":7}\n\ndata: second\r\n\r\nid: 8\rdata:third\r\r"


def parse(chunks: List[str]) -> tuple[List[SseMessage], SseParser]:
    messages: List[SseMessage] = []
    parser = SseParser(messages.append)
    for chunk in chunks:
        parser.push(chunk)
    return messages, parser


class SseParserTest(unittest.TestCase):
    def test_reads_events_data_lines_ids_and_retry(self) -> None:
        messages, parser = parse([STREAM])
        self.assertEqual(
            messages,
            [
                SseMessage("directives", '{"halt":false,\n "revision":7}', "7"),
                SseMessage("message", "second", "7"),
                SseMessage("message", "third", "8"),
            ],
        )
        self.assertEqual(parser.retry, 2.0)
        self.assertEqual(parser.last_event_id, "8")

    def test_gives_the_same_messages_however_the_stream_is_split(self) -> None:
        whole, _ = parse([STREAM])
        for size in (1, 2, 3, 5, 8, 13):
            pieces = [STREAM[i : i + size] for i in range(0, len(STREAM), size)]
            self.assertEqual(parse(pieces)[0], whole, f"split every {size} characters")

    def test_a_crlf_split_between_its_cr_and_lf_is_one_line_end(self) -> None:
        messages, _ = parse(["data: a\r", "\n\r", "\n"])
        self.assertEqual(messages, [SseMessage("message", "a", "")])

    def test_comments_and_unknown_fields_send_nothing_and_reset_drops_a_half_message(self) -> None:
        messages, parser = parse([": ping\n\nfoo: bar\n\ndata: half"])
        self.assertEqual(messages, [])
        parser.reset()
        parser.push("\n\n")
        self.assertEqual(messages, [])


if __name__ == "__main__":
    unittest.main()

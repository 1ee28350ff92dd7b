"""The WebSocket chat of Tornado's demo made to run as several processes on one Redis, as
apps/chat --redis does: the reference bench/chat/run measures against. The same protocol
(/chatsocket: {"body": text} in, {"id", "body", "html"} out to every socket), the same template
(apps/chat/templates/message.html) and the same Redis layout (a capped list and a channel, written
in one MULTI/EXEC), with redis-py's asyncio client.
Usage: tornado_chat.py PORT REDIS_UNIX_SOCKET TEMPLATE_DIR"""
import asyncio
import json
import logging
import sys
import uuid

import redis.asyncio
import tornado.escape
import tornado.web
import tornado.websocket

KEY = "chat:messages"
CACHE_SIZE = 200


class ChatSocketHandler(tornado.websocket.WebSocketHandler):
    waiters = set()

    def initialize(self, client):
        self.client = client

    def open(self):
        self.set_nodelay(True)
        ChatSocketHandler.waiters.add(self)

    def on_close(self):
        ChatSocketHandler.waiters.discard(self)

    async def on_message(self, message):
        parsed = tornado.escape.json_decode(message)
        chat = {"id": str(uuid.uuid4()), "body": parsed["body"]}
        chat["html"] = tornado.escape.to_basestring(self.render_string("message.html", message=chat))
        text = json.dumps(chat)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.rpush(KEY, text).ltrim(KEY, -CACHE_SIZE, -1).publish(KEY, text)
            await pipe.execute()


async def relay(client):
    pubsub = client.pubsub()
    await pubsub.subscribe(KEY)
    async for message in pubsub.listen():
        if message["type"] != "message":
            continue
        text = message["data"].decode()
        logging.info("sending message to %d waiters", len(ChatSocketHandler.waiters))
        for waiter in ChatSocketHandler.waiters:
            try:
                waiter.write_message(text)
            except tornado.websocket.WebSocketClosedError:
                pass


async def main():
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    port, socket, templates = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    client = redis.asyncio.Redis(unix_socket_path=socket)
    app = tornado.web.Application([(r"/chatsocket", ChatSocketHandler, {"client": client})],
                                  template_path=templates)
    app.listen(port, "127.0.0.1")
    await relay(client)


if __name__ == "__main__":
    asyncio.run(main())

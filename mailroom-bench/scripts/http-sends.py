"""Sends over one keep-alive HTTP connection, one request at a time, and prints sends per second
and the store's commits per request (from the admin /health). Python 3, standard library only:
  MAILROOM_ADMIN_TOKEN=... python3 http-sends.py PORT REQUESTS BATCH
BATCH 0 sends single POST /v1/messages; BATCH n > 0 sends POST /v1/messages/batch of n messages.
"""
import http.client
import json
import os
import sys
import time

port, requests, batch = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
admin = {"Authorization": "Bearer " + os.environ["MAILROOM_ADMIN_TOKEN"],
         "Content-Type": "application/json"}
conn = http.client.HTTPConnection("127.0.0.1", port)


def call(method, path, body=None, headers=admin):
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    answer = conn.getresponse()
    return answer.status, answer.read()


stamp = int(time.time() * 1000)
_, created = call("POST", "/v1/agents", {"id": "sender-%d" % stamp})
call("POST", "/v1/agents", {"id": "box-%d" % stamp})
sender = {"Authorization": "Bearer " + json.loads(created)["token"],
          "Content-Type": "application/json"}
message = {"mode": "direct", "target": "box-%d" % stamp, "content_type": "text/plain",
           "payload": "x" * 200}
path, body = ("/v1/messages/batch", {"messages": [message] * batch}) if batch else ("/v1/messages", message)


def commits():
    return json.loads(call("GET", "/health")[1])["components"]["store"]["commits"]


for _ in range(20):  # warm-up
    call("POST", path, body, sender)
before, started = commits(), time.time()
for _ in range(requests):
    status, answer = call("POST", path, body, sender)
    assert status == 201, (status, answer)
seconds = time.time() - started
time.sleep(0.3)
sends = requests * max(batch, 1)
print("requests %d messages %d seconds %.2f messages_per_second %d commits_per_request %.2f"
      % (requests, sends, seconds, sends / seconds, (commits() - before) / requests))

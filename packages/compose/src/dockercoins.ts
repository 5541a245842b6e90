// DockerCoins, the course's sample application ("It is a DockerCoin miner!"), as a project the
// playground can write into a directory: five services (rng makes random bytes, hasher hashes
// them, worker asks both in a loop and counts in redis, webui shows hashes per second). The
// compose file has the shape of jpetazzo/container.training's dockercoins/compose.yml; the
// sources are drydock's own short versions of what each service does.

/** The project's compose file. */
export const DOCKERCOINS_COMPOSE = `services:

  rng:
    build: rng
    ports:
      - "8001:80"

  hasher:
    build: hasher
    ports:
      - "8002:80"

  webui:
    build: webui
    ports:
      - "8000:80"
    volumes:
      - "./webui/files/:/files/"

  redis:
    image: redis

  worker:
    build: worker
`;

/**
 * Every file of the project, by its path inside the project directory (conventionally
 * `dockercoins/`). The bases are the course's: python:alpine, ruby:alpine and node:4-slim.
 */
export const DOCKERCOINS_FILES: ReadonlyMap<string, string> = new Map([
  ["compose.yml", DOCKERCOINS_COMPOSE],
  ["rng/Dockerfile", `FROM python:alpine
WORKDIR /app
RUN pip install Flask
COPY rng.py .
ENV FLASK_APP=rng FLASK_RUN_HOST=0.0.0.0 FLASK_RUN_PORT=80
CMD ["flask", "run"]
EXPOSE 80
`],
  ["rng/rng.py", `# rng: random bytes on demand. Reading the system's entropy is slow and this
# server handles one request at a time: scale it and watch the workers' rate.
import os
import time
from flask import Flask, Response

app = Flask(__name__)


@app.route("/")
def index():
    return "RNG running on {}\\n".format(os.uname()[1])


@app.route("/<int:how_many_bytes>")
def rng(how_many_bytes):
    time.sleep(0.1)
    return Response(os.urandom(how_many_bytes), content_type="application/octet-stream")
`],
  ["hasher/Dockerfile", `FROM ruby:alpine
RUN apk add --update build-base curl
RUN gem install sinatra
RUN gem install thin
ADD hasher.rb /
CMD ["ruby", "hasher.rb"]
EXPOSE 80
`],
  ["hasher/hasher.rb", `# hasher: the SHA-256 of whatever is POSTed, as hex. It takes a little while.
require 'digest'
require 'sinatra'
require 'socket'

set :bind, '0.0.0.0'
set :port, 80

post '/' do
  sleep 0.1
  content_type 'text/plain'
  Digest::SHA2.new.update(request.body.read).hexdigest
end

get '/' do
  "HASHER running on #{Socket.gethostname}\\n"
end
`],
  ["worker/Dockerfile", `FROM python:alpine
RUN pip install redis
RUN pip install requests
COPY worker.py /
CMD ["python", "worker.py"]
`],
  ["worker/worker.py", `# worker: asks rng for 32 random bytes, asks hasher for their hash, and counts
# its work in redis once a second. A hash starting with 0 is a DockerCoin.
import logging
import time

import requests
from redis import Redis

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("worker")
redis = Redis("redis")


def work_once():
    time.sleep(0.1)
    data = requests.get("http://rng/32").content
    digest = requests.post("http://hasher/", data=data, headers={"Content-Type": "application/octet-stream"}).text
    if digest.startswith("0"):
        log.info("Coin found: %s...", digest[:8])
        redis.hset("wallet", digest, data)


def main():
    done, deadline = 0, time.time() + 1
    while True:
        if time.time() > deadline:
            log.info("%d units of work done, updating hash counter", done)
            redis.incrby("hashes", done)
            done, deadline = 0, time.time() + 1
        work_once()
        done += 1


if __name__ == "__main__":
    main()
`],
  ["webui/Dockerfile", `FROM node:4-slim
RUN npm install express
RUN npm install redis@3
COPY files/ /files/
COPY webui.js /
CMD ["node", "webui.js"]
EXPOSE 80
`],
  ["webui/webui.js", `// webui: serves the page, and /json with the hash counter and the time, so the
// page can draw hashes per second (by redis's clock).
var express = require('express'); // wall-clock ok: webui's own source
var redis = require('redis'); // wall-clock ok: webui's own source

var app = express();
var client = redis.createClient(6379, 'redis');

app.get('/json', function (req, res) {
  client.hlen('wallet', function (err, coins) {
    client.get('hashes', function (err, hashes) {
      // redis's clock: [seconds, microseconds]
      client.time(function (err, t) {
        res.json({ coins: coins, hashes: Number(hashes) || 0, now: Number(t[0]) + Number(t[1]) / 1e6 });
      });
    });
  });
});

app.use(express.static('/files'));

app.listen(80, function () {
  console.log('WEBUI running on port 80');
});
`],
  ["webui/files/index.html", `<!doctype html>
<html>
<head><title>DockerCoin Miner WebUI</title></head>
<body>
<h1>DockerCoin Miner WebUI</h1>
<p>Current mining speed: <span id="speed">?</span> hashes/second</p>
<script>
var last = null;
function refresh() {
  fetch('json').then(function (r) { return r.json(); }).then(function (s) {
    if (last) document.getElementById('speed').textContent = ((s.hashes - last.hashes) / (s.now - last.now)).toFixed(1);
    last = s;
  });
}
setInterval(refresh, 1000); // wall-clock ok: the page runs in a browser, not in drydock
</script>
</body>
</html>
`],
]);

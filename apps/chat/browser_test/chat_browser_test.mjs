// Two users, each in a browser context of their own (own cookies, own XSRF token), open the chat
// from the front page, both listen, one posts, the other must see the message; then the other way
// round. Once on the long-polling page and once on the WebSocket page of one server (one chat:
// the second page shows the first page's messages too). With --redis-server, once more with
// Alice and Bob on two chat processes sharing a private Redis (--redis), Alice on the
// long-polling page and Bob on the WebSocket page. Screenshots of every page are kept. Any
// JavaScript error on a page fails the test.
//
//   node chat_browser_test.mjs --server build/dev/bin/chat --modules DIR --screenshots DIR
//        [--redis-server /usr/bin/redis-server]
//
// DIR of --modules holds node_modules/playwright-core (run_browser_test.sh installs it there).
import {spawn} from "node:child_process";
import {mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {createRequire} from "node:module";
import path from "node:path";
import {parseArgs} from "node:util";

const {values: args} = parseArgs({
  options: {
    server: {type: "string"},
    modules: {type: "string"},
    screenshots: {type: "string"},
    chromium: {type: "string", default: "/usr/bin/chromium"},
    "redis-server": {type: "string"},
  },
});
for (const name of ["server", "modules", "screenshots"])
  if (!args[name]) throw new Error(`--${name} is required`);

const {chromium} = createRequire(path.join(path.resolve(args.modules), "package.json"))("playwright-core");
const started = Date.now();
const log = (text) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);

// The whole test must end well inside CTest's timeout, whatever hangs.
const watchdog = setTimeout(() => {
  console.error("FAILED: the browser test took more than 90 s");
  process.exit(1);
}, 90_000);

/** Starts the chat server on a free port of 127.0.0.1; resolves with its base URL once it logs the
    port it bound. */
function startServer(extra = []) {
  const server = spawn(args.server, ["--port=0", "--address=127.0.0.1", ...extra],
                       {stdio: ["ignore", "pipe", "pipe"]});
  let output = "";
  const url = new Promise((resolve, reject) => {
    const onData = (data) => {
      output += data;
      const match = /serving (http:\/\/[^/\s]+)\//.exec(output);
      if (match) resolve(match[1]);
    };
    server.stdout.on("data", onData);
    server.stderr.on("data", onData);
    server.on("exit", (code) => reject(new Error(`the chat server exited (${code}):\n${output}`)));
    setTimeout(() => reject(new Error(`the chat server did not start in 15 s:\n${output}`)), 15_000);
  });
  return {server, url, output: () => output};
}

const pageErrors = [];

async function openUser(browser, base, name) {
  const context = await browser.newContext({viewport: {width: 760, height: 520}});
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${name}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(`${name}: console: ${message.text()}`);
  });
  await page.goto(base + "/");
  return page;
}

/** A private redis-server on a UNIX socket in a temporary folder; resolves with the socket's
    path once the server says it is ready. */
function startRedis(directory) {
  const socket = path.join(directory, "redis.sock");
  const redis = spawn(args["redis-server"], ["--port", "0", "--unixsocket", socket, "--dir", directory,
                                             "--save", "", "--appendonly", "no"],
                      {stdio: ["ignore", "pipe", "pipe"]});
  let output = "";
  const ready = new Promise((resolve, reject) => {
    const onData = (data) => {
      output += data;
      if (/ready to accept connections/i.test(output)) resolve(socket);
    };
    redis.stdout.on("data", onData);
    redis.stderr.on("data", onData);
    redis.on("exit", (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
    setTimeout(() => reject(new Error(`redis-server did not start in 15 s:\n${output}`)), 15_000);
  });
  return {redis, ready};
}

const pages = {
  "long-polling": {link: "Long-polling chat", ready: "listening"},
  websocket: {link: "WebSocket chat", ready: "connected"},
};

/** Alice opens `chats[0]` and Bob `chats[1]` ("long-polling" or "websocket") from the front page
    and waits until the page says it is listening or connected; then each posts and the other
    must see it. `shown` is how many messages each page must show at the end. */
async function converse(alice, bob, chatName, chats, shown) {
  for (const [page, chat] of [[alice, chats[0]], [bob, chats[1]]]) {
    await page.getByRole("link", {name: pages[chat].link}).click();
    await page.waitForSelector(`body[data-status="${pages[chat].ready}"]`, {timeout: 20_000});
  }
  log(`${chatName}: both users are ready`);

  const fromAlice = `Hello Bob, this is Alice on the ${chatName} chat <b>not bold</b> http://tornadoweb.org`;
  await alice.fill("#message", fromAlice);
  await alice.press("#message", "Enter");
  const received = bob.locator("#inbox .message", {hasText: `this is Alice on the ${chatName} chat`});
  await received.waitFor({timeout: 20_000});
  // What Bob sees was escaped and linkified by the server, as Tornado's demo does.
  const html = await received.innerHTML();
  if (!html.includes("&lt;b&gt;not bold&lt;/b&gt;") || !html.includes('<a href="http://tornadoweb.org">'))
    throw new Error(`${chatName}: Bob's copy of the message is not escaped and linkified: ${html}`);
  log(`${chatName}: Bob received Alice's message`);

  await bob.fill("#message", `Hi Alice, Bob here on ${chatName}`);
  await bob.click("input[type=submit]");
  await alice.locator("#inbox .message", {hasText: `Bob here on ${chatName}`}).waitFor({timeout: 20_000});
  log(`${chatName}: Alice received Bob's reply`);
  // Each message shows once on each page, whichever way it arrived.
  for (const page of [alice, bob]) {
    const count = await page.locator("#inbox .message").count();
    if (count !== shown) throw new Error(`${chatName}: a page shows ${count} messages instead of ${shown}`);
  }

  const files = [];
  for (const [who, page] of [["alice", alice], ["bob", bob]]) {
    const file = path.join(args.screenshots, `chat-${chatName}-${who}.png`);
    await page.screenshot({path: file, fullPage: true});
    files.push(file);
  }
  log(`${chatName}: screenshots ${files.join(" ")}`);
  await alice.goto(new URL("/", alice.url()).href);
  await bob.goto(new URL("/", bob.url()).href);
}

const {server, url, output} = startServer();
const servers = [{server, output}];
let browser = null;
let redis = null;
let redisDirectory = null;
let failed = false;
try {
  mkdirSync(args.screenshots, {recursive: true});
  const base = await url;
  log(`chat server at ${base}`);
  browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    // Playwright gives each launch a fresh --user-data-dir of its own (and removes it).
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    timeout: 30_000,
  });
  log(`Chromium ${browser.version()}`);
  const alice = await openUser(browser, base, "alice");
  const bob = await openUser(browser, base, "bob");
  await converse(alice, bob, "long-polling", ["long-polling", "long-polling"], 2);
  // The same chat on its other page: the messages above are there, and two more.
  await converse(alice, bob, "websocket", ["websocket", "websocket"], 4);
  if (args["redis-server"]) {
    redisDirectory = mkdtempSync(path.join(tmpdir(), "typhoon-chat-redis-"));
    const started = startRedis(redisDirectory);
    redis = started.redis;
    const socket = await started.ready;
    const bases = [];
    for (let i = 0; i < 2; ++i) {
      const another = startServer([`--redis=unix://${socket}`]);
      servers.push({server: another.server, output: another.output});
      bases.push(await another.url);
    }
    log(`two chat processes on one Redis: ${bases.join(" and ")}`);
    const aliceThere = await openUser(browser, bases[0], "alice");
    const bobThere = await openUser(browser, bases[1], "bob");
    await converse(aliceThere, bobThere, "two-processes", ["long-polling", "websocket"], 2);
  }
  if (pageErrors.length) throw new Error("JavaScript errors:\n  " + pageErrors.join("\n  "));
  log("PASSED: the chat works in Chromium" + (args["redis-server"] ? ", in one process and across two" : ""));
} catch (error) {
  failed = true;
  console.error(`FAILED: ${error.stack || error}`);
  if (pageErrors.length) console.error("JavaScript errors:\n  " + pageErrors.join("\n  "));
  for (const [i, {output: log}] of servers.entries())
    console.error(`--- chat server ${i + 1} log ---\n` + log());
} finally {
  if (browser) await browser.close().catch(() => {});
  for (const {server: process} of servers) process.kill("SIGTERM");
  if (redis) redis.kill("SIGTERM");
  if (redisDirectory) rmSync(redisDirectory, {recursive: true, force: true});
  clearTimeout(watchdog);
}
process.exit(failed ? 1 : 0);

// Tornado's web spider demo (demos/webspider) in Typhoon: ten workers take URLs from a Queue,
// fetch them with AsyncHTTPClient, and queue the links they find under the base URL, until
// every page has been fetched once. Instead of crawling tornadoweb.org it crawls a small site it
// serves itself on localhost, so it needs no network and always ends.
#include <typhoon/http/http_client.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using boost::asio::awaitable;
using typhoon::httpclient::AsyncHTTPClient;
using typhoon::httputil::HTTPConnection;
using typhoon::httputil::HTTPHeaders;
using typhoon::httputil::HTTPServerRequest;
using typhoon::ioloop::IOLoop;
namespace gen = typhoon::gen;

namespace {

constexpr int concurrency = 10;

/// The site: each page and its links, relative and absolute, with fragments, one link to a
/// page that does not exist and one to another host (which the spider must not follow).
const std::map<std::string, std::vector<std::string>, std::less<>> site = {
    {"/", {"docs/", "/docs/intro.html", "about#team", "http://example.com/elsewhere"}},
    {"/docs/", {"intro.html", "guide.html", "../about", "/missing"}},
    {"/docs/intro.html", {"guide.html#install", "/"}},
    {"/docs/guide.html", {"/docs/", "api/"}},
    {"/docs/api/", {"../intro.html", "/moved"}},
    {"/about", {"/"}},
};

/// Serves the site; /moved redirects to /about.
awaitable<void> serve_site(HTTPServerRequest& request, HTTPConnection& connection) {
    HTTPHeaders headers;
    std::string body;
    int code = 200;
    if (const auto page = site.find(request.path); page != site.end()) {
        headers.add("Content-Type", "text/html; charset=UTF-8");
        body = "<html><body><h1>" + request.path + "</h1>\n";
        for (const auto& link : page->second)
            body += "<p><a class=\"link\" href=\"" + link + "\">" + link + "</a></p>\n";
        body += "</body></html>\n";
    } else if (request.path == "/moved") {
        code = 302;
        headers.add("Location", "/about");
    } else {
        code = 404;
        body = "Not Found";
    }
    headers.add("Content-Length", std::to_string(body.size()));
    co_await connection.write_headers({"HTTP/1.1", code,
                                       code == 200   ? "OK"
                                       : code == 302 ? "Found"
                                                     : "Not Found"},
                                      std::move(headers), body);
    co_await connection.finish();
}

/// urllib.parse.urljoin for the links of this site (absolute URLs, absolute paths, and paths
/// relative to the page with "../"), without the fragment (Tornado's remove_fragment).
std::string join_url(const std::string& base, std::string link) {
    link = link.substr(0, link.find('#'));
    if (link.starts_with("http://") || link.starts_with("https://")) return link;
    const auto origin_end = base.find('/', base.find("://") + 3);
    const std::string origin = base.substr(0, origin_end);
    std::string path = link.starts_with("/")
                           ? link
                           : base.substr(origin_end, base.rfind('/') + 1 - origin_end) + link;
    for (std::size_t up; (up = path.find("/../")) != std::string::npos;) {
        const auto parent = up == 0 ? 0 : path.rfind('/', up - 1);
        path.erase(parent, up + 3 - parent);
    }
    return origin + path;
}

/// The href of every <a> in a page.
std::vector<std::string> get_links(const std::string& html) {
    static const std::regex anchor(R"re(<a\s[^>]*href="([^"]*)")re", std::regex::icase);
    std::vector<std::string> links;
    for (std::sregex_iterator it(html.begin(), html.end(), anchor), end; it != end; ++it)
        links.push_back((*it)[1]);
    return links;
}

awaitable<std::vector<std::string>> get_links_from_url(std::string url) {
    const auto response = co_await AsyncHTTPClient::current().fetch(url);
    std::cout << "fetched " << url << std::endl;
    std::vector<std::string> urls;
    for (const auto& link : get_links(response.body))
        urls.push_back(join_url(response.effective_url, link));
    co_return urls;
}

struct Spider {
    explicit Spider(std::string base) : base_url(std::move(base)) {}
    std::string base_url;
    typhoon::queues::Queue<std::optional<std::string>> q;
    std::set<std::string> fetching, fetched, dead;

    awaitable<void> fetch_url(std::string current_url) {
        if (fetching.contains(current_url)) co_return;
        std::cout << "fetching " << current_url << std::endl;
        fetching.insert(current_url);
        const auto urls = co_await get_links_from_url(current_url);
        fetched.insert(current_url);
        for (const auto& new_url : urls)
            if (new_url.starts_with(base_url)) co_await q.put(new_url);  // only this site
    }

    awaitable<void> worker() {
        for (;;) {
            const auto url = co_await q.get();
            if (!url) co_return;  // None: the crawl is over
            try {
                co_await fetch_url(*url);
            } catch (const std::exception& e) {
                std::cout << "Exception: " << e.what() << " " << *url << std::endl;
                dead.insert(*url);
            }
            q.task_done();
        }
    }

    awaitable<void> main() {
        const auto start = std::chrono::steady_clock::now();
        co_await q.put(base_url);
        std::vector<awaitable<void>> workers;
        for (int i = 0; i < concurrency; ++i)
            workers.push_back(worker());
        // The workers run while we wait for the queue to be worked off.
        auto crawl = [&]() -> awaitable<void> {
            co_await q.join(300s);
            const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::steady_clock::now() - start);
            std::cout << "Done in " << seconds.count() << " seconds, fetched " << fetched.size()
                      << " URLs." << std::endl;
            std::cout << "Unable to fetch " << dead.size() << " URLs." << std::endl;
            for (int i = 0; i < concurrency; ++i)
                co_await q.put(std::nullopt);  // one None per worker ends them
        };
        workers.push_back(crawl());
        co_await gen::multi(std::move(workers));
    }
};

}  // namespace

int main() {
    IOLoop loop;
    typhoon::httpserver::HTTPServer server(serve_site);
    server.listen(0, "127.0.0.1");
    Spider spider("http://127.0.0.1:" + std::to_string(server.ports().at(0)) + "/");
    loop.run_sync([&] { return spider.main(); });
}

#ifndef TYPHOON_WEB_BUILTIN_HANDLERS_HPP
#define TYPHOON_WEB_BUILTIN_HANDLERS_HPP

#include <typhoon/http/http_server.hpp>
#include <typhoon/web/request_handler.hpp>

#include <optional>
#include <string>

namespace typhoon::web {

/** Redirects every GET to a URL (tornado.web.RedirectHandler), permanently by default. The URL
    may name the route's groups: `{0}`, `{1}`... for positional ones and `{name}` for named ones;
    the request's query string is carried over.

        url<RedirectHandler>(R"(/story/([0-9]+))", {}, "/entry/{0}")  */
class RedirectHandler : public RequestHandler {
public:
    /// Made by the Application for each request, as every handler is.
    using RequestHandler::RequestHandler;
    /// The route's arguments: the target `url` (with `{0}`/`{name}` placeholders), 301 when
    /// `permanent` else 302, or exactly `status` when given (as RequestHandler::redirect()).
    void initialize(std::string url, bool permanent = true, std::optional<int> status = {});
    /// Redirects to the URL with the groups filled in and the query string appended.
    awaitable<void> get() override;

private:
    std::string url_;
    bool permanent_ = true;
    std::optional<int> status_;
};

/// Answers every request with `status_code` (tornado.web.ErrorHandler); the default handler of
/// paths no route matches is an ErrorHandler for 404.
class ErrorHandler : public RequestHandler {
public:
    /// Made by the Application for each request, as every handler is.
    using RequestHandler::RequestHandler;
    /// The route's argument: the status every request gets, with the standard error page.
    void initialize(int status_code);
    awaitable<void> prepare() override;
    /// No XSRF check: a POST to a wrong URL answers 404, not 403 (as Tornado's ErrorHandler).
    void check_xsrf_cookie() override {}

private:
    int status_code_ = 404;
};

/** Hands the request to another server's callback (tornado.web.FallbackHandler): mount an
    application written against the bare HTTP layer under a route of this one.

        url<FallbackHandler>("/legacy/.*", {}, httpserver::RequestCallback(legacy_app))  */
class FallbackHandler : public RequestHandler {
public:
    /// Made by the Application for each request, as every handler is.
    using RequestHandler::RequestHandler;
    /// The route's argument, kept by reference: the route table owns the callback.
    void initialize(const httpserver::RequestCallback& fallback);
    awaitable<void> prepare() override;

private:
    const httpserver::RequestCallback* fallback_ = nullptr;
};

}  // namespace typhoon::web

#endif

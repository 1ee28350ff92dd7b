#ifndef TYPHOON_CORE_LINKIFY_HPP
#define TYPHOON_CORE_LINKIFY_HPP

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::escape {

/// What linkify() turns into links and how (the keyword arguments of tornado.escape.linkify).
struct LinkifyOptions {
    /// Show long URLs shortened (host plus a bit of the path, then "..."), with the full URL in
    /// the link's title attribute.
    bool shorten = false;
    /// Text added inside each `<a>` tag, e.g. `rel="nofollow" class="external"`.
    std::string extra_params{};
    /// When set, used instead of `extra_params`: called with each link's href.
    std::function<std::string(std::string_view href)> extra_params_for{};
    /// Leave `www.example.com` (no scheme) as plain text.
    bool require_protocol = false;
    /// Schemes that become links; others stay text. Never add `javascript`.
    std::vector<std::string> permitted_protocols{"http", "https"};
};

/** HTML-escapes `text` and turns the URLs in it into links (tornado.escape.linkify):
    `linkify("Hello http://tornadoweb.org!")` is
    `Hello <a href="http://tornadoweb.org">http://tornadoweb.org</a>!`. Trailing punctuation and
    unbalanced parentheses stay outside the link, as in Tornado. */
std::string linkify(std::string_view text, const LinkifyOptions& options = {});

}  // namespace typhoon::escape

#endif

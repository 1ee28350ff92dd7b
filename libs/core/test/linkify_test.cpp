#include <typhoon/core/linkify.hpp>

#include <boost/test/unit_test.hpp>

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using namespace typhoon::escape;

BOOST_AUTO_TEST_SUITE(linkify_test)

BOOST_AUTO_TEST_CASE(links_a_url_and_leaves_the_punctuation_after_it) {
    BOOST_TEST(linkify("Hello http://tornadoweb.org!") ==
               R"(Hello <a href="http://tornadoweb.org">http://tornadoweb.org</a>!)");
    BOOST_TEST(
        linkify("trailing dots http://x.org/... and ?http://y.org?") ==
        R"(trailing dots <a href="http://x.org/">http://x.org/</a>... and ?<a href="http://y.org">http://y.org</a>?)");
}

BOOST_AUTO_TEST_CASE(keeps_balanced_parentheses_inside_and_others_outside) {
    BOOST_TEST(
        linkify("See www.example.com/path, then (http://a.com/x_(y)) and http://b.com/c.") ==
        R"(See <a href="http://www.example.com/path">www.example.com/path</a>, then )"
        R"~((<a href="http://a.com/x_(y)">http://a.com/x_(y)</a>) and <a href="http://b.com/c">http://b.com/c</a>.)~");
    BOOST_TEST(linkify("(www.wrapped.com)") ==
               R"((<a href="http://www.wrapped.com">www.wrapped.com</a>))");
    BOOST_TEST(
        linkify("http://en.wikipedia.org/wiki/Foo_(bar) end") ==
        R"~(<a href="http://en.wikipedia.org/wiki/Foo_(bar)">http://en.wikipedia.org/wiki/Foo_(bar)</a> end)~");
}

BOOST_AUTO_TEST_CASE(escapes_the_text_and_the_urls) {
    BOOST_TEST(
        linkify(R"(a "http://q.com/a?b=1&c=2" z)") ==
        R"(a &quot;<a href="http://q.com/a?b=1&amp;c=2">http://q.com/a?b=1&amp;c=2</a>&quot; z)");
    BOOST_TEST(
        linkify("http://www.example.com/wpstyle/?p=364&amp;q=1 <b>") ==
        R"(<a href="http://www.example.com/wpstyle/?p=364&amp;amp;q=1">http://www.example.com/wpstyle/?p=364&amp;amp;q=1</a> &lt;b&gt;)");
    BOOST_TEST(
        linkify("http://a.com/&quot;x&lt;y") ==
        R"(<a href="http://a.com/&amp;quot;x&amp;lt;y">http://a.com/&amp;quot;x&amp;lt;y</a>)");
    BOOST_TEST(linkify("") == "");
}

BOOST_AUTO_TEST_CASE(only_permitted_protocols_become_links) {
    BOOST_TEST(linkify("ftp://files.example.com/a javascript:alert(1) mailto:me@x.org") ==
               "ftp://files.example.com/a javascript:alert(1) mailto:me@x.org");
    BOOST_TEST(
        linkify("ftp://files.example.com/a mailto:me@x.org",
                {.permitted_protocols = {"ftp", "mailto"}}) ==
        R"(<a href="ftp://files.example.com/a">ftp://files.example.com/a</a> mailto:me@x.org)");
    // "a-http" is the scheme here, and it is not permitted, so nothing is linked.
    BOOST_TEST(linkify("a-http://x.com foo-bar://y") == "a-http://x.com foo-bar://y");
}

BOOST_AUTO_TEST_CASE(require_protocol_leaves_bare_www_alone) {
    BOOST_TEST(linkify("www.example.com and http://example.com", {.require_protocol = true}) ==
               R"(www.example.com and <a href="http://example.com">http://example.com</a>)");
}

BOOST_AUTO_TEST_CASE(slashes_backtrack_like_the_python_pattern) {
    BOOST_TEST(linkify("http:////foo http:/// http:x") ==
               R"(<a href="http:////foo">http:////foo</a> <a href="http:///">http:///</a> http:x)");
    BOOST_TEST(linkify("http://a.com:8080/x;y") ==
               R"(<a href="http://a.com:8080/x;y">http://a.com:8080/x;y</a>)");
}

BOOST_AUTO_TEST_CASE(handles_unicode_as_python_does) {
    BOOST_TEST(
        linkify("http://exämple.com/päth und éhttp://z.org") ==
        R"(<a href="http://exämple.com/päth">http://exämple.com/päth</a> und éhttp://z.org)");
    BOOST_TEST(linkify("Ünïcödé http://例え.jp/パス。") ==
               R"(Ünïcödé <a href="http://例え.jp/パス。">http://例え.jp/パス。</a>)");
}

BOOST_AUTO_TEST_CASE(extra_params_are_stripped_and_added_to_each_tag) {
    BOOST_TEST(linkify("http://x.com/a", {.extra_params = R"(  rel="nofollow"  )"}) ==
               R"(<a href="http://x.com/a" rel="nofollow">http://x.com/a</a>)");
    BOOST_TEST(linkify("www.x.com", {.extra_params = R"(class="ext")"}) ==
               R"(<a href="http://www.x.com" class="ext">www.x.com</a>)");
}

BOOST_AUTO_TEST_CASE(extra_params_for_decides_per_link) {
    const LinkifyOptions options{.extra_params_for = [](std::string_view href) -> std::string {
        return href.find("x.com") != std::string_view::npos ? R"( class="int" )" : R"(class="ext")";
    }};
    BOOST_TEST(
        linkify("http://x.com www.y.com", options) ==
        R"(<a href="http://x.com" class="int">http://x.com</a> <a href="http://www.y.com" class="ext">www.y.com</a>)");
}

BOOST_AUTO_TEST_CASE(shorten_keeps_the_host_and_titles_the_full_url) {
    BOOST_TEST(
        linkify("http://www.example.com/this/is/a/very/long/url/that/goes/on/and/on?x=1",
                {.shorten = true}) ==
        R"(<a href="http://www.example.com/this/is/a/very/long/url/that/goes/on/and/on?x=1" )"
        R"(title="http://www.example.com/this/is/a/very/long/url/that/goes/on/and/on?x=1">http://www.example.com/this...</a>)");
    BOOST_TEST(
        linkify("http://www.veryveryveryveryverylongdomainname.example.com/abcdefghijklmnop",
                {.shorten = true}) ==
        R"(<a href="http://www.veryveryveryveryverylongdomainname.example.com/abcdefghijklmnop" )"
        R"(title="http://www.veryveryveryveryverylongdomainname.example.com/abcdefghijklmnop">http://www.veryveryveryveryver...</a>)");
}

BOOST_AUTO_TEST_CASE(shorten_does_not_cut_an_entity_in_half) {
    BOOST_TEST(
        linkify("http://www.example.com/wpstyle/?p=364&amp;q=aaaaaaaaaaaaaaaaaaaa",
                {.shorten = true}) ==
        R"(<a href="http://www.example.com/wpstyle/?p=364&amp;amp;q=aaaaaaaaaaaaaaaaaaaa" )"
        R"(title="http://www.example.com/wpstyle/?p=364&amp;amp;q=aaaaaaaaaaaaaaaaaaaa">http://www.example.com/wpstyle...</a>)");
    BOOST_TEST(
        linkify("http://a.b/ccccccccccc&dddddddddddddddddddddddddddddddd", {.shorten = true}) ==
        R"(<a href="http://a.b/ccccccccccc&amp;dddddddddddddddddddddddddddddddd" )"
        R"(title="http://a.b/ccccccccccc&amp;dddddddddddddddddddddddddddddddd">http://a.b/cccccccc...</a>)");
    BOOST_TEST(
        linkify("https://example.com/path?with=query&and=more&and=evenmore&x=1234",
                {.shorten = true}) ==
        R"(<a href="https://example.com/path?with=query&amp;and=more&amp;and=evenmore&amp;x=1234" )"
        R"(title="https://example.com/path?with=query&amp;and=more&amp;and=evenmore&amp;x=1234">https://example.com/path...</a>)");
}

BOOST_AUTO_TEST_CASE(long_runs_of_dots_stay_linear) {
    // The regex Tornado replaced went exponential on this; ours must answer at once.
    const std::string text = "http://x.com/" + std::string(20000, '.') + " end";
    BOOST_TEST(linkify(text).starts_with(R"(<a href="http://x.com/">)"));
}

BOOST_AUTO_TEST_SUITE_END()

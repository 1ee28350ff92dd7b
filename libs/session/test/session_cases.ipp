// The behaviour every store gives, end to end through an Application and an HTTP client. Included
// inside a BOOST_FIXTURE_TEST_SUITE whose fixture derives from session_test::SessionAppTest
// (memory_store_test.cpp, database_store_test.cpp, redis_store_test.cpp), so that each store
// meets one specification.

BOOST_AUTO_TEST_CASE(a_value_set_in_one_request_is_read_in_the_next) {
    session_test::Browser browser;
    const auto set = browse(browser, "/set?key=name&value=Ada");
    BOOST_TEST(!browser.session_cookie().empty());
    BOOST_TEST(set.at("new").as_bool() == false);
    const auto got = browse(browser, "/get");
    BOOST_TEST(got.at("new").as_bool() == false);
    BOOST_TEST(got.at("id") == set.at("id"));
    BOOST_TEST(got.at("data").at("name").as_string() == "Ada");
    BOOST_TEST(last.headers.get_list("Set-Cookie").empty());  // the cookie is sent once
    browse(browser, "/set?key=city&value=Paris");
    const auto both = browse(browser, "/get");
    BOOST_TEST(both.at("data").at("name").as_string() == "Ada");
    BOOST_TEST(both.at("data").at("city").as_string() == "Paris");
    browse(browser, "/erase?key=name");
    BOOST_TEST(!browse(browser, "/get").at("data").as_object().contains("name"));
}

BOOST_AUTO_TEST_CASE(an_untouched_session_sets_no_cookie) {
    session_test::Browser browser;
    const auto got = browse(browser, "/get");
    BOOST_TEST(got.at("new").as_bool());
    BOOST_TEST(got.at("id").as_string().empty());
    BOOST_TEST(last.headers.get_list("Set-Cookie").empty());
    browse(browser, "/erase?key=nothing");  // an erase that erased nothing changed nothing
    BOOST_TEST(last.headers.get_list("Set-Cookie").empty());
    BOOST_TEST(browser.cookies.empty());
}

BOOST_AUTO_TEST_CASE(browsers_do_not_share_sessions) {
    session_test::Browser ada, bob;
    browse(ada, "/set?key=name&value=Ada");
    browse(bob, "/set?key=name&value=Bob");
    BOOST_TEST(ada.session_cookie() != bob.session_cookie());
    BOOST_TEST(browse(ada, "/get").at("data").at("name").as_string() == "Ada");
    BOOST_TEST(browse(bob, "/get").at("data").at("name").as_string() == "Bob");
}

BOOST_AUTO_TEST_CASE(an_idle_session_expires_and_each_use_postpones_that) {
    options.idle_timeout = std::chrono::seconds(2);
    session_test::Browser browser;
    const std::string id(browse(browser, "/set?key=name&value=Ada").at("id").as_string());
    for (int i = 0; i < 3; ++i) {  // 3.6 s in all, longer than the idle timeout, used all along
        wait(std::chrono::milliseconds(1200));
        BOOST_TEST(browse(browser, "/get").at("data").at("name").as_string() == "Ada");
    }
    wait(std::chrono::milliseconds(2600));
    const auto expired = browse(browser, "/get");
    BOOST_TEST(expired.at("new").as_bool());
    BOOST_TEST(expired.at("data").as_object().empty());
    BOOST_TEST(!run_until([&] { return store().load(id); }).has_value());
}

BOOST_AUTO_TEST_CASE(a_session_ends_after_its_lifetime_however_much_it_is_used) {
    options.lifetime = std::chrono::seconds(2);
    session_test::Browser browser;
    browse(browser, "/set?key=name&value=Ada");
    wait(std::chrono::milliseconds(1000));
    BOOST_TEST(browse(browser, "/get").at("new").as_bool() == false);
    wait(std::chrono::milliseconds(1500));
    const auto ended = browse(browser, "/get");
    BOOST_TEST(ended.at("new").as_bool());
    BOOST_TEST(ended.at("data").as_object().empty());
}

BOOST_AUTO_TEST_CASE(regenerate_gives_a_new_id_and_cookie_keeps_the_data_and_drops_the_old_id) {
    session_test::Browser browser;
    const auto before = browse(browser, "/set?key=name&value=Ada");
    const session_test::Browser planted = browser;  // what an attacker fixed before the login
    const auto after = browse(browser, "/regenerate");
    BOOST_TEST(after.at("id") != before.at("id"));
    BOOST_TEST(browser.session_cookie() != planted.session_cookie());
    BOOST_TEST(after.at("data").at("name").as_string() == "Ada");
    BOOST_TEST(browse(browser, "/get").at("data").at("name").as_string() == "Ada");
    auto attacker = planted;
    const auto old = browse(attacker, "/get");
    BOOST_TEST(old.at("new").as_bool());
    BOOST_TEST(old.at("data").as_object().empty());
}

BOOST_AUTO_TEST_CASE(regenerating_a_new_session_keeps_it_new) {
    session_test::Browser browser;
    BOOST_TEST(browse(browser, "/regenerate").at("new").as_bool());
    BOOST_TEST(browser.cookies.empty());
}

BOOST_AUTO_TEST_CASE(destroy_forgets_the_session_and_clears_its_cookie) {
    session_test::Browser browser;
    browse(browser, "/set?key=name&value=Ada");
    auto copy = browser;
    const auto destroyed = browse(browser, "/destroy");
    BOOST_TEST(destroyed.at("new").as_bool());
    BOOST_TEST(browser.session_cookie().empty());  // cleared: an empty value, expired
    BOOST_TEST(browse(browser, "/get").at("new").as_bool());
    const auto old = browse(copy, "/get");  // the old cookie names nothing now
    BOOST_TEST(old.at("new").as_bool());
    BOOST_TEST(old.at("data").as_object().empty());
}

BOOST_AUTO_TEST_CASE(a_tampered_cookie_gives_a_new_empty_session) {
    session_test::Browser browser;
    browse(browser, "/set?key=name&value=Ada");
    auto& cookie = browser.cookies["session"];
    cookie[cookie.size() - 1] = cookie.back() == '0' ? '1' : '0';  // the signature's last digit
    typhoon::testing::ExpectLog warned{typhoon::log::gen_log, "Invalid cookie signature"};
    const auto got = browse(browser, "/get");
    BOOST_TEST(got.at("new").as_bool());
    BOOST_TEST(got.at("data").as_object().empty());
    BOOST_TEST(warned.matched() == 1);
}

BOOST_AUTO_TEST_CASE(a_signed_cookie_naming_no_session_never_chooses_the_id) {
    // A valid signature on an id the store does not have: a new session, which takes an id of
    // its own when saved (a browser cannot pick its id).
    const std::string chosen(48, 'a');
    session_test::Browser browser;
    browser.cookies["session"] =
        typhoon::web::create_signed_value(session_test::cookie_secret, "session", chosen);
    BOOST_TEST(browse(browser, "/get").at("new").as_bool());
    const auto set = browse(browser, "/set?key=name&value=Ada");
    BOOST_TEST(set.at("id").as_string() != chosen);
    BOOST_TEST(set.at("id").as_string().size() == 48u);
}

TYPHOON_GEN_TEST_TIMEOUT(concurrent_requests_each_get_their_own_session, std::chrono::seconds(60)) {
    constexpr int count = 12;
    std::vector<session_test::Browser> browsers(count);
    std::vector<boost::asio::awaitable<boost::json::value>> sets;
    for (int i = 0; i < count; ++i)
        sets.push_back(async_browse(browsers[i], "/set?key=n&value=" + std::to_string(i)));
    co_await typhoon::gen::multi(std::move(sets));
    // Then each browser reads its own, several reads of each at once.
    std::vector<boost::asio::awaitable<boost::json::value>> gets;
    for (int round = 0; round < 3; ++round)
        for (int i = 0; i < count; ++i)
            gets.push_back(async_browse(browsers[i], "/get"));
    const auto got = co_await typhoon::gen::multi(std::move(gets));
    for (std::size_t k = 0; k < got.size(); ++k)
        BOOST_TEST(got[k].at("data").at("n").as_string() == std::to_string(k % count));
}

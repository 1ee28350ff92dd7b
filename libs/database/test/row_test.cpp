#include <typhoon/database/row.hpp>

#include <typhoon/core/json.hpp>
#include <typhoon/database/errors.hpp>
#include <typhoon/database/param.hpp>

#include <boost/json/value_from.hpp>
#include <boost/test/unit_test.hpp>

namespace database = typhoon::database;
using database::Row;

namespace {
Row make_row() {
    auto columns = std::make_shared<const std::vector<std::string>>(
        std::vector<std::string>{"id", "title", "missing"});
    return Row(columns, {boost::json::value(7), boost::json::value("Hello"), nullptr});
}
}  // namespace

BOOST_AUTO_TEST_SUITE(row_test)

BOOST_AUTO_TEST_CASE(columns_are_read_by_name_and_by_position) {
    const auto row = make_row();
    BOOST_TEST(row["id"].as_int64() == 7);
    BOOST_TEST(row["title"].as_string() == "Hello");
    BOOST_TEST(row["missing"].is_null());
    BOOST_TEST(row.at(1).as_string() == "Hello");
    BOOST_TEST(row.size() == 3u);
    BOOST_TEST(row.find("nope") == nullptr);
}

BOOST_AUTO_TEST_CASE(an_unknown_column_is_an_interface_error_naming_it) {
    const auto row = make_row();
    try {
        (void)row["nope"];
        BOOST_FAIL("no error");
    } catch (const database::InterfaceError& e) {
        BOOST_TEST(std::string(e.what()).find("'nope'") != std::string::npos);
    }
    BOOST_CHECK_THROW((void)row.at(3), database::InterfaceError);
}

BOOST_AUTO_TEST_CASE(a_row_becomes_a_json_object_in_column_order) {
    const auto row = make_row();
    BOOST_TEST(typhoon::escape::json_encode(row.to_json()) ==
               R"({"id": 7, "title": "Hello", "missing": null})");
    std::vector<Row> rows{row, row};
    BOOST_TEST(typhoon::escape::json_encode(boost::json::value_from(rows)) ==
               R"([{"id": 7, "title": "Hello", "missing": null}, )"
               R"({"id": 7, "title": "Hello", "missing": null}])");
}

BOOST_AUTO_TEST_CASE(a_row_needs_one_value_per_column) {
    auto columns = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"a"});
    BOOST_CHECK_THROW(Row(columns, {}), database::InterfaceError);
}

BOOST_AUTO_TEST_CASE(parameters_take_scalars_and_refuse_json_containers) {
    using database::Param;
    BOOST_TEST(Param(nullptr).is_null());
    BOOST_TEST(Param(std::optional<int>{}).is_null());
    BOOST_TEST(std::get<std::int64_t>(Param(true).value()) == 1);
    BOOST_TEST(std::get<std::int64_t>(Param(std::optional<int>{5}).value()) == 5);
    BOOST_TEST(std::get<std::uint64_t>(Param(18446744073709551615ull).value()) ==
               18446744073709551615ull);
    BOOST_TEST(std::get<std::string>(Param(boost::json::value("x")).value()) == "x");
    BOOST_CHECK_THROW(Param(boost::json::value(boost::json::array{1, 2})),
                      database::InterfaceError);
    BOOST_CHECK_THROW(Param(boost::json::value(boost::json::object{})), database::InterfaceError);
}

BOOST_AUTO_TEST_SUITE_END()

#ifndef TYPHOON_DATABASE_TEST_DATABASE_FIXTURE_HPP
#define TYPHOON_DATABASE_TEST_DATABASE_FIXTURE_HPP

// What the backend suites share: a temporary directory that removes itself.

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace database_test {

struct TemporaryDirectory {
    std::filesystem::path path;
    TemporaryDirectory() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "typhoon-db-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path = pattern;
    }
    ~TemporaryDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
};

}  // namespace database_test

#endif

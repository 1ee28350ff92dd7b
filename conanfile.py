"""Conan 2 recipe: one Conan component per Typhoon library, named and linked as CMake names them.

    conan create . -pr:a tools/conan/profile

The profile takes Boost, OpenSSL, zlib and SQLite from the system (Debian's packages);
libmariadb (Debian's libmariadb-dev), libpq (libpq-dev) and hiredis (libhiredis-dev) are linked
from the system by name.
"""
import os

from conan import ConanFile
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import load

# Each library in DESIGN.md's layer order, with the Typhoon components and third-party packages it
# links: keep this in step with the library's typhoon_install_component() call. A library joins
# this table in the same change that adds it.
COMPONENTS = {
    "core": {"requires": ["boost::boost"]},
    "ioloop": {"requires": ["core", "boost::boost"], "system_libs": ["pthread"],
               "defines": ["BOOST_ASIO_SEPARATE_COMPILATION",
                           "BOOST_ASIO_RECYCLING_ALLOCATOR_CACHE_SIZE=4"]},
    "net": {"requires": ["ioloop", "openssl::openssl"]},
    "http": {"requires": ["net", "boost::boost", "zlib::zlib"],
             "defines": ["BOOST_BEAST_SEPARATE_COMPILATION"]},
    "template": {"requires": ["core"]},
    "locale": {"requires": ["core"]},
    "options": {"requires": ["core", "boost::program_options"]},
    # libmariadb and libpq (Debian's libpq-dev, PostgreSQL 15's client) have no Conan package in
    # the profile: they are linked from the system by name.
    "database": {"requires": ["ioloop", "sqlite3::sqlite3"], "system_libs": ["mariadb", "pq"]},
    # hiredis (Debian's libhiredis-dev) is linked from the system by name, as libmariadb is.
    "redis": {"requires": ["ioloop"], "system_libs": ["hiredis"]},
    "web": {"requires": ["http", "template", "locale", "openssl::openssl", "zlib::zlib", "boost::boost"]},
    "websocket": {"requires": ["web", "openssl::openssl", "zlib::zlib", "boost::boost"]},
    "auth": {"requires": ["web", "http", "openssl::openssl"]},
    # The sessions' core, and one component per store so that a program links only its engine.
    "session": {"requires": ["web", "openssl::openssl"]},
    "session_database": {"requires": ["session", "database"]},
    "session_redis": {"requires": ["session", "redis"]},
    "testing": {"requires": ["web", "boost::unit_test_framework"], "defines": ["BOOST_TEST_DYN_LINK"]},
}

# What to link instead when a package comes from the system ([platform_requires]): Conan then
# has no package, hence no component, to name in `requires`.
SYSTEM_LIBS_OF_PLATFORM_PACKAGE = {
    "boost::boost": [],
    "boost::program_options": ["boost_program_options"],
    "boost::unit_test_framework": ["boost_unit_test_framework"],
    "openssl::openssl": ["ssl", "crypto"],
    "zlib::zlib": ["z"],
    "sqlite3::sqlite3": ["sqlite3"],
}


class TyphoonConan(ConanFile):
    name = "typhoon"
    description = "Python Tornado's web framework and asynchronous networking library in C++20"
    license = "Apache-2.0"
    package_type = "library"
    settings = "os", "compiler", "build_type", "arch"
    options = {"shared": [True, False], "fPIC": [True, False]}
    default_options = {"shared": False, "fPIC": True}
    exports_sources = ("VERSION", "CMakeLists.txt", "cmake/*", "libs/*", "example/*", "apps/*",
                       "bench/*", "test/*", "tools/*")

    def set_version(self):
        self.version = load(self, os.path.join(self.recipe_folder, "VERSION")).strip()

    def requirements(self):
        self.requires("boost/[>=1.81 <2]", transitive_headers=True)
        self.requires("openssl/[>=3 <4]", transitive_headers=True)
        self.requires("zlib/[>=1.2 <2]")
        self.requires("sqlite3/[>=3.35 <4]")

    def layout(self):
        cmake_layout(self)

    def generate(self):
        toolchain = CMakeToolchain(self)
        # The package holds the libraries; tests, examples and benchmarks are the project's own.
        toolchain.cache_variables["TYPHOON_BUILD_TESTS"] = False
        toolchain.cache_variables["TYPHOON_BUILD_EXAMPLES"] = False
        toolchain.cache_variables["TYPHOON_BUILD_BENCHMARKS"] = False
        toolchain.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        CMake(self).install()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "typhoon")
        # A dependency taken from the system ([platform_requires]) has no package and cannot be
        # named in `requires`; the compiler and linker find it in the system paths anyway.
        packaged = {dep.ref.name for dep in self.dependencies.host.values() if dep.package_folder}
        for name, needs in COMPONENTS.items():
            component = self.cpp_info.components[name]
            component.set_property("cmake_target_name", f"typhoon::{name}")
            component.libs = [f"typhoon_{name}"]
            component.system_libs = list(needs.get("system_libs", []))
            component.defines = list(needs.get("defines", []))
            for requirement in needs["requires"]:
                package = requirement.split("::")[0]
                if "::" not in requirement or package in packaged:
                    component.requires.append(requirement)
                else:
                    component.system_libs += SYSTEM_LIBS_OF_PLATFORM_PACKAGE[requirement]

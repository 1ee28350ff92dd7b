"""Builds and runs small consumers of the packaged Typhoon, as `conan create` asks."""
import os
import subprocess

from conan import ConanFile
from conan.errors import ConanException
from conan.tools.build import can_run
from conan.tools.cmake import CMake, cmake_layout


class TyphoonTestConan(ConanFile):
    settings = "os", "compiler", "build_type", "arch"
    generators = "CMakeDeps", "CMakeToolchain"

    def requirements(self):
        self.requires(self.tested_reference_str)

    def layout(self):
        cmake_layout(self)

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def test(self):
        if not can_run(self):
            return
        for program in ("core_consumer", "template_consumer", "http_consumer", "web_consumer",
                        "database_consumer", "redis_consumer", "auth_consumer",
                        "session_consumer"):
            self.run(os.path.join(self.cpp.build.bindir, program), env="conanrun")
        # Asking for the template library alone must bring nothing of the network stack along.
        template = os.path.join(self.cpp.build.bindir, "template_consumer")
        linked = subprocess.run(["ldd", template], capture_output=True, text=True, check=True).stdout
        symbols = subprocess.run(["nm", "-C", template], capture_output=True, text=True, check=True).stdout
        if "libssl" in linked or "libcrypto" in linked or "boost::asio" in symbols or "boost::beast" in symbols:
            raise ConanException("template_consumer links OpenSSL, Asio or Beast")
        self.output.info("template_consumer links nothing of OpenSSL, Asio or Beast")

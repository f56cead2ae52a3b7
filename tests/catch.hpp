#pragma once
// The one place tests include Catch2: Debian ships v2, a v3 system works too.
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

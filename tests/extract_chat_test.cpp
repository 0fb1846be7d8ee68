#include <catch2/catch.hpp>

#include "baton/extract.h"
#include "test_util.h"

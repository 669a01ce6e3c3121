#include "services/qualification/ratings/csv_reader.h"

#include <catch2/catch.hpp>

namespace dps::qualification::ratings {
namespace {

using Fields = std::vector<std::string>;

TEST_CASE("ReadCsv splits plain records and numbers their lines", "[csv]") {
  auto records = ReadCsv("a,b,c\n1,2,3\n");
  REQUIRE(records.ok());
  REQUIRE(records->size() == 2);
  CHECK((*records)[0].fields == Fields{"a", "b", "c"});
  CHECK((*records)[1].fields == Fields{"1", "2", "3"});
  CHECK((*records)[0].line == 1);
  CHECK((*records)[1].line == 2);
}

TEST_CASE("ReadCsv keeps commas, escaped quotes and line breaks inside quotes", "[csv]") {
  auto records = ReadCsv("\"Smith, Jones\",\"say \"\"hi\"\"\",\"two\nlines\"\nnext,row,here\n");
  REQUIRE(records.ok());
  REQUIRE(records->size() == 2);
  CHECK((*records)[0].fields == Fields{"Smith, Jones", "say \"hi\"", "two\nlines"});
  // The second record starts on line 3 because the first spans lines 1 and 2.
  CHECK((*records)[1].line == 3);
}

TEST_CASE("ReadCsv accepts CRLF, LF, a lone CR and a missing final line break", "[csv]") {
  auto records = ReadCsv("a,b\r\nc,d\re,f\ng,h");
  REQUIRE(records.ok());
  REQUIRE(records->size() == 4);
  CHECK((*records)[1].fields == Fields{"c", "d"});
  CHECK((*records)[3].fields == Fields{"g", "h"});
  CHECK((*records)[3].line == 4);
}

TEST_CASE("ReadCsv counts CRLF inside a quoted field as one line", "[csv]") {
  auto records = ReadCsv("\"x\r\ny\",1\r\nz,2\r\n");
  REQUIRE(records.ok());
  REQUIRE(records->size() == 2);
  CHECK((*records)[0].fields[0] == "x\r\ny");
  CHECK((*records)[1].line == 3);
}

TEST_CASE("ReadCsv keeps empty fields and empty lines", "[csv]") {
  auto records = ReadCsv(",,\n\n\"\",x\n");
  REQUIRE(records.ok());
  REQUIRE(records->size() == 3);
  CHECK((*records)[0].fields == Fields{"", "", ""});
  CHECK((*records)[1].fields == Fields{""});
  CHECK((*records)[2].fields == Fields{"", "x"});
}

TEST_CASE("ReadCsv keeps a quote inside an unquoted field literally", "[csv]") {
  auto records = ReadCsv("5\" wide,b\n");
  REQUIRE(records.ok());
  CHECK((*records)[0].fields == Fields{"5\" wide", "b"});
}

TEST_CASE("ReadCsv rejects an unclosed quote, naming the line it opened on", "[csv]") {
  auto records = ReadCsv("a,b\nc,\"never\nclosed\n");
  REQUIRE_FALSE(records.ok());
  CHECK(records.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(records.status().message()), Catch::Contains("line 2"));
}

TEST_CASE("ReadCsv rejects text after a closing quote", "[csv]") {
  auto records = ReadCsv("a,b\n\"x\"y,z\n");
  REQUIRE_FALSE(records.ok());
  CHECK_THAT(std::string(records.status().message()), Catch::Contains("line 2"));
}

}  // namespace
}  // namespace dps::qualification::ratings

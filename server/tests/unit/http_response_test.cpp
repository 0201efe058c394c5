// The bytes a response becomes on the wire (http::serialize_response).
#include <gtest/gtest.h>

#include "http/server.hpp"

namespace sb::http {
namespace {

TEST(SerializeResponse, StatusHeadersSecurityBlockLengthAndBody) {
  Response res = Response::text(201, "hello", "text/plain");
  res.set_header("X-Request-Id", "abc");
  std::string wire = serialize_response(res, false, true);
  EXPECT_EQ(wire.rfind("HTTP/1.1 201 Created\r\nX-Request-Id: abc\r\n", 0), 0u) << wire;
  EXPECT_NE(wire.find("frame-ancestors 'none'\r\nX-Frame-Options: DENY\r\n"), std::string::npos);
  EXPECT_NE(wire.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Content-Type: text/plain\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(wire.find("Connection:"), std::string::npos) << "keep-alive is HTTP/1.1's default";
  EXPECT_EQ(wire.substr(wire.size() - 9), "\r\n\r\nhello");
}

TEST(SerializeResponse, TheEmbeddedChatNamesWhoMayFrameIt) {
  Response res = Response::text(200, "<html>", "text/html");
  res.frame_ancestors = "https://shop.example.com http://localhost:3000";
  std::string wire = serialize_response(res, false, true);
  EXPECT_NE(wire.find("frame-ancestors https://shop.example.com http://localhost:3000\r\n"), std::string::npos) << wire;
  EXPECT_EQ(wire.find("X-Frame-Options"), std::string::npos);
}

TEST(SerializeResponse, HeadNoContentAndClose) {
  Response head = Response::text(200, "0123456789");
  std::string h = serialize_response(head, true, true);
  EXPECT_NE(h.find("Content-Length: 10\r\n"), std::string::npos) << "HEAD tells the length it would send";
  EXPECT_EQ(h.substr(h.size() - 4), "\r\n\r\n") << "and sends no body";

  Response none = Response::no_content();
  std::string n = serialize_response(none, false, false);
  EXPECT_EQ(n.rfind("HTTP/1.1 204 No Content\r\n", 0), 0u);
  EXPECT_EQ(n.find("Content-Length"), std::string::npos) << "204 has no length";
  EXPECT_NE(n.find("Connection: close\r\n"), std::string::npos);
}

}  // namespace
}  // namespace sb::http

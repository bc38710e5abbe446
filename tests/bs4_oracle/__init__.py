"""The page facts as computed on BeautifulSoup trees before the port to lxml (a frozen copy of
linkcheck's pages, dates, article_body, html_tags and harvest/html at c09e713): the oracle the
lxml code is compared with, page by page, in tests/test_lxml_identity.py."""

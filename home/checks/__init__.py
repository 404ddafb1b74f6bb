"""Publish-time wording checks (严重错误表述 block, 错别字 warn)."""

"""Shared resource library (信息报送) and pushing one notice to many sites."""

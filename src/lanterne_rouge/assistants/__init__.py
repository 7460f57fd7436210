"""The coach inside AI assistants: read-only answers from the store, served over MCP."""

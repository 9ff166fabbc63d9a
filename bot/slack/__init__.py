"""The Slack app: Block Kit rendering, the Bolt app (HTTP and Socket Mode), the transport, the jobs.

Nothing in this package loads spaCy: the web process imports it.
"""

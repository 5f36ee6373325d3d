"""Subscribers, the subscription flow and the weekly dispatch."""

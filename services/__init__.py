"""Services: what the product decides. Plain async functions over a session, ids and `now`."""

"""What the admin panel shows and changes, without HTTP: queries, statistics, exports."""

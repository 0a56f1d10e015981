"""Moderation: reports, the staff queue, hiding content, sanctions on accounts, site settings.

It sits above every content app (it hides works, comments, bookmarks, series and
collections through their own actions) and below the API.
"""

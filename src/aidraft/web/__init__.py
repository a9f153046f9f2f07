"""The local web page (``aidraft serve``): draft, check and digest reports from a browser.

Everything it serves — templates, CSS, JavaScript — ships inside this package, so the page
works with no internet connection. Build the app with :func:`aidraft.web.app.create_app`.
"""

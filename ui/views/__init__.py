"""The app's pages, each a script run by `st.navigation` from `ui/app.py`."""

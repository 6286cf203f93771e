"""Outside In: the web server. `streamlit run app.py` finds ``app`` below and serves router.py (the pages) with
the session cookie's routes, the device cookie and the security headers around it (meeting.web)."""
import streamlit as st

from meeting import web

app = st.App("router.py", routes=web.routes(), middleware=web.middleware())

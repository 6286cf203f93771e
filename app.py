"""Outside In: the web server. `streamlit run app.py` finds ``app`` below and serves router.py (the pages) with
the session cookie's routes and the security headers around it (meeting.http)."""
import streamlit as st
from starlette.middleware import Middleware

from meeting import http

app = st.App("router.py", routes=http.routes(), middleware=[Middleware(http.SecurityHeaders)])

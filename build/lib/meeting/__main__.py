import sys

from meeting.cli import main

sys.exit(main())

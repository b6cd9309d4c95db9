import sys

from codecare.launch import main

sys.exit(main())

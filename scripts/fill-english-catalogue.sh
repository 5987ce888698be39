#!/bin/sh
# English is the language of the source strings: its catalogue maps each message to itself.
# Run after `make makemessages`.
set -e
po=locale/en/LC_MESSAGES/django.po
msgen "$po" | msgattrib --clear-fuzzy --no-obsolete -o "$po"

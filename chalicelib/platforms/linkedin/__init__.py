"""linkedin"""

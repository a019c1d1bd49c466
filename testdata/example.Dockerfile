FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN apt-get update
RUN apt-get install -y build-essential
RUN pip install -r requirements.txt
CMD python app.py

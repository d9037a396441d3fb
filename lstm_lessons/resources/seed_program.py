# The tutorial's program, kept line for line as published in "Pytorch 的 LSTM 模型的示例教程"
# (许野平, 2023). Only the English in parentheses after each comment is added. Running this file
# trains the tutorial's model; the lessons take it apart through lstm_lessons.SeedLSTM.
import torch
from torch import nn
# 定义一个LSTM模型 (define an LSTM model)
class LSTM(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers, output_size):
        super(LSTM, self).__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)
    def forward(self, x):
        # 初始化隐藏状态h0, c0为全0向量 (initialise the hidden states h0, c0 as all-zero vectors)
        h0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size).to(x.device)
        c0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size).to(x.device)
        # 将输入x和隐藏状态(h0, c0)传入LSTM网络 (pass the input x and the states (h0, c0) to the LSTM)
        out, _ = self.lstm(x, (h0, c0))
        # 取最后一个时间步的输出作为LSTM网络的输出 (take the last time step's output as the network's output)
        out = self.fc(out[:, -1, :])
        return out
# 定义LSTM超参数 (LSTM hyperparameters)
input_size = 10   # 输入特征维度 (input feature size)
hidden_size = 32  # 隐藏单元数量 (number of hidden units)
num_layers = 2    # LSTM层数 (number of LSTM layers)
output_size = 2   # 输出类别数量 (number of output classes)
# 构建一个随机输入x和对应标签y (build a random input x and its labels y)
x = torch.randn(64, 5, 10)  # [batch_size, sequence_length, input_size]
y = torch.randint(0, 2, (64,))  # 二分类任务,标签为0或1 (binary task: labels are 0 or 1)
# 创建LSTM模型,并将输入x传入模型计算预测输出 (create the model and run x through it)
lstm = LSTM(input_size, hidden_size, num_layers, output_size)
pred = lstm(x)  # [batch_size, output_size]
# 定义损失函数和优化器,并进行模型训练 (loss, optimiser, and training)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(lstm.parameters(), lr=1e-3)
num_epochs = 100
for epoch in range(num_epochs):
    # 前向传播计算损失函数值 (forward pass: compute the loss)
    pred = lstm(x)  # 在每个epoch中重新计算预测输出 (recompute the prediction every epoch)
    loss = criterion(pred.squeeze(), y)
    # 反向传播更新模型参数 (backward pass: update the parameters)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    # 输出每个epoch的训练损失 (print each epoch's training loss)
    print(f"Epoch [{epoch+1}/{num_epochs}], Loss: {loss.item():.4f}")
